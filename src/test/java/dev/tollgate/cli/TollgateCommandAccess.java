package dev.tollgate.cli;

/** Lets tests in other packages run the real command tree in-process. */
public final class TollgateCommandAccess {
  public Object command() {
    return new TollgateCommand();
  }
}
