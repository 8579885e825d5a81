/**
 * OpenAI wire shapes, read without Netty: what a request asks for and (later) what a response
 * reports as usage. Pure functions over bytes, tested with real-shaped payloads.
 */
package dev.tollgate.openai;
