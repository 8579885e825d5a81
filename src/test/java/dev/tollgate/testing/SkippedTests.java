package dev.tollgate.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints every skipped test and why, from the surefire / failsafe XML reports, into the build's own
 * output (the build runs it after each test phase). Surefire prints only a count, and the reason
 * (no Prometheus, no PostgreSQL, no node) is otherwise hidden in an XML file nobody opens.
 */
public final class SkippedTests {
  private SkippedTests() {}

  public static void main(String[] args) throws Exception {
    // Only this build's reports: earlier runs (a -Dtest subset, say) leave theirs in the folder.
    // This runs inside Maven's own JVM, which started when the build did.
    long buildStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    List<String> lines = new ArrayList<>();
    for (String folder : args) {
      Path dir = Path.of(folder);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f :
            files
                .filter(p -> p.getFileName().toString().startsWith("TEST-"))
                .filter(p -> p.toFile().lastModified() >= buildStart)
                .toList()) {
          lines.addAll(skipped(f));
        }
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    System.out.println("[WARNING] " + lines.size() + " test(s) skipped:");
    lines.forEach(l -> System.out.println("[WARNING]   " + l));
  }

  static List<String> skipped(Path report) throws IOException {
    List<String> out = new ArrayList<>();
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      NodeList cases =
          factory.newDocumentBuilder().parse(report.toFile()).getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element c = (Element) cases.item(i);
        NodeList skip = c.getElementsByTagName("skipped");
        if (skip.getLength() > 0) {
          String why = ((Element) skip.item(0)).getAttribute("message");
          String cls = c.getAttribute("classname");
          out.add(
              cls.substring(cls.lastIndexOf('.') + 1)
                  + "."
                  + c.getAttribute("name")
                  + ": "
                  + (why.isBlank() ? "(no reason given)" : why.lines().findFirst().orElse("")));
        }
      }
    } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
      out.add(report.getFileName() + ": unreadable report (" + e.getMessage() + ")");
    }
    return out;
  }
}
