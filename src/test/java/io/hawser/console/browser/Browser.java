package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.exist;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.open;

import com.codeborne.selenide.Configuration;
import io.hawser.console.IntegrationTest;
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

    /** Fills in and submits the sign-in form shown now; checks nothing about the outcome. */
    public static void submitSignIn(String user, String password) {
        $("vaadin-login-form").shouldBe(visible);
        $("vaadin-login-form input[name='username']").setValue(user);
        $("vaadin-login-form input[name='password']").setValue(password);
        $("vaadin-login-form vaadin-button[slot='submit']").click();
    }

    /**
     * Signs in from {@code /login} and waits until the page after it shows {@code user} as signed in: the start page
     * (Hosts), or the page asked for before the sign-in.
     */
    public static void signIn(String user, String password) {
        open("/login");
        submitSignIn(user, password);
        $("vaadin-login-form").shouldNot(exist);
        $(".hawser-user").shouldHave(text(user));
    }

    /** {@link #signIn} as the test console's administrator, then waits for the start page (Hosts). */
    public static void signInAsAdmin() {
        signIn("admin", IntegrationTest.ADMIN_PASSWORD);
        $("h2").shouldHave(text("Hosts"));
    }
}
