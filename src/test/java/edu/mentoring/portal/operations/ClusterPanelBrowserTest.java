package edu.mentoring.portal.operations;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The admins' cluster panel in headless Chromium, and what the page shows while its node drains. */
@DisplayName("Cluster panel (headless Chromium): admins see the nodes live; a draining node's page says Reconnecting at once")
class ClusterPanelBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  @DisplayName("an admin's panel lists the node with its sockets and follows a new socket live; when the node drains "
    + "the panel says draining and the connection badge turns Reconnecting within the drain's spread")
  void clusterPanel() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why = "Chromium and ChromeDriver are needed (apt-get install -y chromium chromium-driver)";
      if (System.getenv("CI") != null) fail(why);
      Assumptions.assumeTrue(false, why + "; skipped outside CI");
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Path profile = Files.createTempDirectory("portal-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      "--window-size=1366,960", "--user-data-dir=" + profile);
    Vertx client = Vertx.vertx();
    TestDatabase db = TestDatabase.create();
    // reports every 300 ms instead of 2 s: the same path, a shorter test
    TestPortal portal = TestPortal.startOn(db, Map.of(PortalConfig.DRAIN_SPREAD_MS, "1000"),
      new JsonObject().put(ClusterStatus.CONFIG_EVERY_MS, 300));
    ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build(), options);
    try {
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
      wait.ignoring(StaleElementReferenceException.class);
      driver.get(portal.node().url());
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-email"))).sendKeys(TestPortal.ADMIN_EMAIL);
      driver.findElement(By.id("login-password")).sendKeys(TestPortal.ADMIN_PASSWORD);
      driver.findElement(By.id("login-submit")).click();
      wait.until(d -> "online".equals(d.findElement(By.id("connection")).getAttribute("data-status")));

      // the panel re-renders its rows on every report: each read is one wait, never an element kept across reports
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#cluster-nodes tr")));
      wait.until(d -> d.findElement(By.cssSelector("#cluster-nodes tr")).getText().contains("127.0.0.1:" + portal.port()));
      wait.until(d -> "1".equals(d.findElement(By.cssSelector("#cluster-nodes .cluster-sockets")).getText()));
      wait.until(d -> "serving".equals(d.findElement(By.cssSelector("#cluster-nodes .cluster-state")).getText()));

      // another socket on the node: the panel follows without a reload
      try (BridgeClient other = BridgeClient.connect(client, portal.port())) {
        wait.until(d -> "2".equals(d.findElement(By.cssSelector("#cluster-nodes .cluster-sockets")).getText()));

        // SIGTERM's drain: the next report says draining, and the page's badge changes once its socket is closed
        long t0 = System.nanoTime();
        portal.node().state().startDraining();
        wait.until(d -> "draining".equals(d.findElement(By.cssSelector("#cluster-nodes .cluster-state")).getText()));
        CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> portal.node().drain());
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d ->
          "offline".equals(d.findElement(By.id("connection")).getAttribute("data-status")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("Reconnecting…", driver.findElement(By.id("connection")).getText());
        assertTrue(ms < 5_000, "Reconnecting shown " + ms + " ms after the drain began");
        assertTrue(drained.get(10, TimeUnit.SECONDS) <= 5_000);
      }
    } finally {
      try {
        Path shots = Path.of("target", "browser");
        Files.createDirectories(shots);
        driver.executeScript("var p = document.getElementById('cluster-panel'); if (p) p.scrollIntoView();");
        Files.write(shots.resolve("clusterPanel.png"), driver.getScreenshotAs(OutputType.BYTES));
      } finally {
        driver.quit();
        portal.close();
        db.close();
        client.close();
        try (var files = Files.walk(profile)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
