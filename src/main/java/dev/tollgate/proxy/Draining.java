package dev.tollgate.proxy;

/** Pipeline event fired at every client connection when the server starts draining. */
public enum Draining {
  INSTANCE
}
