package edu.mentoring.portal.web;

import io.vertx.core.json.JsonArray;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs Deque's axe-core in the page and returns its violations: the script is the {@code axe.min.js} that Deque's
 * Selenium integration ({@code com.deque.html.axe-core:selenium}, test scope) ships at the root of its jar.
 */
final class Axe {
  private static final String SCRIPT = "/axe.min.js";
  private static String source;

  private Axe() {
  }

  /** The page's violations as {@code [{id, impact, help, nodes: [selector]}]}; empty when there are none. */
  static JsonArray violations(ChromeDriver driver) {
    if (Boolean.FALSE.equals(driver.executeScript("return typeof window.axe === 'object';"))) {
      driver.executeScript(source());
    }
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    Object result = driver.executeAsyncScript("""
      const done = arguments[arguments.length - 1];
      axe.run(document, {resultTypes: ['violations']})
        .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' '))})))))
        .catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e)}])));""");
    return new JsonArray(String.valueOf(result));
  }

  private static synchronized String source() {
    if (source != null) return source;
    try (InputStream in = Axe.class.getResourceAsStream(SCRIPT)) {
      if (in == null) throw new IllegalStateException("axe-core is not on the test classpath at " + SCRIPT);
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return source;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
