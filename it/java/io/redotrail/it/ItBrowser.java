package io.redotrail.it;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real headless browser for the tests of a page: Debian's {@code chromium} driven through its
 * {@code chromedriver} (packages chromium and chromium-driver, which .ci/run installs). Both are named by path,
 * so Selenium never looks for, nor downloads, a driver or browser of its own; a missing one fails the test with
 * what to install, never skips it. The browser reaches loopback only ({@code --disable-background-networking}).
 */
public final class ItBrowser {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private ItBrowser() {
    }

    /** A headless chromium with its chromedriver's log in {@code log}; the caller quits it. */
    public static ChromeDriver chromium(Path log) throws Exception {
        for (Path p : new Path[]{CHROMIUM, CHROMEDRIVER}) {
            assertTrue(Files.isExecutable(p), p + " is missing: apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        Files.createDirectories(log.getParent());
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,1600");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File(log.toString())).build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return d;
    }
}
