package io.hawser.console.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.hawser.console.access.Access;
import io.hawser.console.access.TeamRole;
import io.hawser.console.common.ui.Attempt;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.security.ConsoleSessions;
import io.hawser.console.security.SessionInfo;
import io.hawser.console.users.ApiToken;
import io.hawser.console.users.ApiTokens;
import io.hawser.console.users.NewApiToken;
import io.hawser.console.users.SecondFactor;
import io.hawser.console.users.UserService;
import jakarta.annotation.security.PermitAll;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The signed-in user's account: change password, API tokens (secret shown once), sessions (an admin sees all). */
@Route(value = "account", layout = MainLayout.class)
@PageTitle("Account · Hawser")
@PermitAll
public class AccountView extends VerticalLayout {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    /** Shown for the role of an unnarrowed token. */
    private static final String ALL_RIGHTS = "all my rights";

    public AccountView(UserService users, ApiTokens tokens, ConsoleSessions sessions, SecondFactor secondFactor, Access access) {
        add(new H2("Account"));

        add(new H3("Password"));
        PasswordField current = new PasswordField("Current password");
        PasswordField next = new PasswordField("New password");
        next.setHelperText("At least 12 characters; not your user name nor a common password");
        Button change = new Button("Change password", click -> {
            if (Attempt.run(() -> users.changeOwnPassword(current.getValue(), next.getValue()))) {
                current.clear();
                next.clear();
                Attempt.done("Password changed");
            }
        });
        change.setId("change-password");
        HorizontalLayout pw = new HorizontalLayout(current, next, change);
        pw.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(pw);

        add(new H3("Second factor"));
        VerticalLayout totp = new VerticalLayout();
        totp.setPadding(false);
        totp.setId("second-factor");
        add(totp);
        secondFactorSection(totp, secondFactor, access.caller().username());

        add(new H3("API tokens"), new Paragraph("Scripts send a token as 'Authorization: Bearer <token>' to /api. "
                + "A token acts as you, or at most with the role you narrow it to."));
        Grid<ApiToken> tokenGrid = new Grid<>();
        tokenGrid.setId("tokens-grid");
        tokenGrid.setAllRowsVisible(true);
        tokenGrid.addColumn(ApiToken::name).setHeader("Name");
        tokenGrid.addColumn(t -> t.ceiling().map(TeamRole::name).orElse(ALL_RIGHTS)).setHeader("Role");
        tokenGrid.addColumn(t -> AT.format(t.expiresAt())).setHeader("Expires");
        tokenGrid.addColumn(t -> t.lastUsedAt().map(AT::format).orElse("never")).setHeader("Last used");
        tokenGrid.addColumn(t -> t.revokedAt().map(r -> "revoked").orElse(t.activeAt(Instant.now()) ? "active" : "expired"))
                .setHeader("State");
        Runnable reloadTokens = () -> tokenGrid.setItems(tokens.mine());
        tokenGrid.addComponentColumn(t -> {
            Button revoke = new Button("Revoke", click -> {
                if (Attempt.run(() -> tokens.revoke(t.id()))) {
                    reloadTokens.run();
                }
            });
            revoke.setEnabled(t.revokedAt().isEmpty());
            return revoke;
        });
        TextField name = new TextField("Token name");
        name.setId("token-name");
        IntegerField days = new IntegerField("Valid for (days)");
        days.setValue(30);
        days.setMin(1);
        days.setMax((int) ApiTokens.MAX_VALIDITY.toDays());
        ComboBox<String> role = new ComboBox<>("Role");
        role.setItems(ALL_RIGHTS, TeamRole.VIEWER.name(), TeamRole.OPERATOR.name(), TeamRole.TEAM_ADMIN.name());
        role.setValue(ALL_RIGHTS);
        VerticalLayout shown = new VerticalLayout();
        shown.setPadding(false);
        Button create = new Button("Create token", click -> {
            if (days.getValue() == null) {
                return;
            }
            Attempt.run(() -> {
                NewApiToken t = tokens.create(name.getValue(), Duration.ofDays(days.getValue()),
                        TeamRole.parse(role.getValue()));
                Code secret = new Code(t.secret());
                secret.setId("token-secret");
                shown.removeAll();
                shown.add(new Paragraph("Copy the token now; it is not shown again:"), secret);
                name.clear();
                reloadTokens.run();
            });
        });
        create.setId("create-token");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout tokenForm = new HorizontalLayout(name, days, role, create);
        tokenForm.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(tokenForm, shown, tokenGrid);
        reloadTokens.run();

        add(new H3("Sessions"));
        Grid<SessionInfo> sessionGrid = new Grid<>();
        sessionGrid.setId("sessions-grid");
        sessionGrid.setAllRowsVisible(true);
        sessionGrid.addColumn(SessionInfo::username).setHeader("User");
        sessionGrid.addColumn(SessionInfo::address).setHeader("Address");
        sessionGrid.addColumn(s -> AT.format(s.createdAt())).setHeader("Signed in");
        sessionGrid.addColumn(s -> AT.format(s.lastAccessedAt())).setHeader("Last active");
        Runnable reloadSessions = () -> sessionGrid.setItems(sessions.list());
        sessionGrid.addComponentColumn(s -> {
            if (s.current()) {
                return new Paragraph("this session");
            }
            return new Button("End", click -> {
                if (Attempt.run(() -> sessions.revoke(s.handle()))) {
                    reloadSessions.run();
                }
            });
        });
        add(sessionGrid);
        reloadSessions.run();
    }

    /** On: turn off with a code. Off: set up (secret and otpauth URI shown once, as text), then confirm with a code. */
    private static void secondFactorSection(VerticalLayout box, SecondFactor secondFactor, String me) {
        box.removeAll();
        TextField code = new TextField("Code from the app");
        code.setId("totp-code-field");
        if (secondFactor.enabled(me)) {
            box.add(new Paragraph("Signing in asks for a code from your authenticator app."));
            Button off = new Button("Turn off", click -> {
                if (Attempt.run(() -> secondFactor.disableOwn(code.getValue()))) {
                    secondFactorSection(box, secondFactor, me);
                }
            });
            off.setId("totp-disable");
            HorizontalLayout row = new HorizontalLayout(code, off);
            row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            box.add(row);
            return;
        }
        Button setUp = new Button("Set up a second factor", click -> Attempt.run(() -> {
            SecondFactor.Enrolment enrolment = secondFactor.begin();
            Code uri = new Code(enrolment.uri());
            uri.setId("totp-uri");
            uri.getStyle().set("word-break", "break-all");
            Code secret = new Code(enrolment.secret());
            secret.setId("totp-secret");
            Button confirm = new Button("Confirm", c -> {
                if (Attempt.run(() -> secondFactor.confirm(code.getValue()))) {
                    Attempt.done("Second factor on: signing in now asks for a code");
                    secondFactorSection(box, secondFactor, me);
                }
            });
            confirm.setId("totp-confirm");
            HorizontalLayout row = new HorizontalLayout(code, confirm);
            row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            box.removeAll();
            box.add(new Paragraph("Add this to your authenticator app (as a link or by typing the secret), then enter "
                    + "the code it shows:"), uri, secret, row);
        }));
        setUp.setId("totp-setup");
        box.add(new Paragraph("Off. Administrators should turn it on."), setUp);
    }
}
