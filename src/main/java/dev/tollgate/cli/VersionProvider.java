package dev.tollgate.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (absent when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"tollgate " + (v == null ? "dev" : v)};
  }
}
