/**
 * Configuration: the YAML file and environment overrides, loaded once into immutable records.
 * Anything wrong with it is a {@link dev.tollgate.config.ConfigException} naming the key.
 */
package dev.tollgate.config;
