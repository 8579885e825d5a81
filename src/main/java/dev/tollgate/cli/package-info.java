/** The command line: {@code tollgate serve} (the default) and, later, keys, prices and reports. */
package dev.tollgate.cli;
