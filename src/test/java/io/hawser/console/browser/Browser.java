package io.hawser.console.browser;

import com.codeborne.selenide.Configuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for Selenide, with nothing downloaded: the driver is Debian's chromedriver, and the
 * browser's background networking is off (this machine has no network beyond loopback). Selenide keeps one browser
 * per thread, so every browser test in the run shares it.
 */
public final class Browser {

    private Browser() {
    }

    public static synchronized void use(int port) {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        Configuration.browser = "chrome";
        Configuration.browserBinary = "/usr/bin/chromium";
        Configuration.headless = true;
        Configuration.baseUrl = "http://localhost:" + port;
        Configuration.timeout = 15_000;
        Configuration.pageLoadTimeout = 60_000;
        Configuration.browserSize = "1280x900";
        Configuration.reportsFolder = "target/selenide";
        ChromeOptions options = new ChromeOptions();
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + freshProfile());
        Configuration.browserCapabilities = options;
    }

    private static String freshProfile() {
        try {
            return Files.createTempDirectory("hawser-chromium-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
