package edu.mentoring.portal.web;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Debian's headless Chromium through its own ChromeDriver (nothing downloaded), one profile per browser. */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "browser");
  static final Dimension DESKTOP = new Dimension(1280, 800);
  static final Dimension PHONE = new Dimension(390, 844);

  final ChromeDriver driver;
  private final Path profile;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Fails in CI without Chromium, skips elsewhere (as BrowserTest does). */
  static void assumeInstalled() {
    if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) return;
    String why = "Chromium and ChromeDriver are needed at " + BINARY + " and " + DRIVER
      + " (apt-get install -y chromium chromium-driver)";
    if (System.getenv("CI") != null) fail(why);
    Assumptions.assumeTrue(false, why + "; skipped outside CI");
  }

  static Chromium open() throws IOException {
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    Path profile = Files.createTempDirectory("portal-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      // a tab in the background keeps its timers: two tabs stand for two people side by side
      "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
      "--window-size=1280,800", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(DRIVER.toString()))
      .usingAnyFreePort()
      .build();
    return new Chromium(new ChromeDriver(service, options), profile);
  }

  /** Sizes the viewport (not the window) to {@code size}, as a phone or a desktop shows the page. */
  void viewport(Dimension size) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
      "width", size.width, "height", size.height, "deviceScaleFactor", 1, "mobile", size.width < 600));
  }

  void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  WebDriverWait await() {
    // views re-render on every event: an element read between two renders is simply read again
    return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class);
  }

  /** Signs in on the current tab and waits until the page is live. */
  void signIn(String url, String email, String password) {
    driver.get(url);
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-email"))).sendKeys(email);
    driver.findElement(By.id("login-password")).sendKeys(password);
    driver.findElement(By.id("login-submit")).click();
    await().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
    await().until(d -> "online".equals(d.findElement(By.id("connection")).getAttribute("data-status")));
  }

  /** Signs in on the current tab (one person: sessionStorage, hence the sign-in, is per tab) and names the tab. */
  String signInTab(String url, String email, String password) {
    signIn(url, email, password);
    return driver.getWindowHandle();
  }

  /** A second person beside the first: a new tab, signed in. */
  String signInNewTab(String url, String email, String password) {
    driver.switchTo().newWindow(WindowType.TAB);
    return signInTab(url, email, password);
  }

  /** Looks at another person's tab. */
  void switchTo(String tab) {
    driver.switchTo().window(tab);
  }

  /**
   * A browser for each test, in the test's own (non-static) field of type Chromium, closed after it; without
   * Chromium the test fails in CI and is skipped elsewhere ({@link #assumeInstalled}).
   */
  static final class PerTest implements BeforeEachCallback, AfterEachCallback {
    private Chromium browser;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, IllegalAccessException {
      assumeInstalled();
      browser = open();
      for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
        if (field.getType() != Chromium.class || Modifier.isStatic(field.getModifiers())) continue;
        field.setAccessible(true);
        field.set(context.getRequiredTestInstance(), browser);
      }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
      if (browser != null) browser.close();
      browser = null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
