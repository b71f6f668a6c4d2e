package io.hawser.console.hosts.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.component.combobox.ComboBox;
import io.hawser.console.common.ui.Attempt;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.teams.Team;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Creates a join token and shows, once, the command that starts an agent enrolled with it. A global administrator may
 * enroll into no team or any team; a team admin into the teams where they may enroll hosts (the service checks again).
 */
class AddHostDialog extends Dialog {

    private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    AddHostDialog(HostService hosts, List<Team> teams, boolean mayEnrollWithoutTeam) {
        setHeaderTitle("Add a host");
        setId("add-host-dialog");
        IntegerField uses = new IntegerField("Hosts that may join with it");
        uses.setId("join-token-uses");
        uses.setMin(1);
        uses.setMax(HostService.MAX_TOKEN_USES);
        uses.setValue(1);
        uses.setStepButtonsVisible(true);
        IntegerField hours = new IntegerField("Valid for (hours)");
        hours.setId("join-token-hours");
        hours.setMin(1);
        hours.setMax((int) HostService.MAX_TOKEN_VALIDITY.toHours());
        hours.setValue(24);
        ComboBox<Team> team = new ComboBox<>("Team that will own the host");
        team.setId("join-token-team");
        team.setItems(teams);
        team.setItemLabelGenerator(Team::name);
        team.setClearButtonVisible(mayEnrollWithoutTeam);
        team.setRequired(!mayEnrollWithoutTeam);
        team.setHelperText(mayEnrollWithoutTeam ? "Empty: no team; administrators only see the host until it is assigned"
                : "The host joins this team");
        if (!mayEnrollWithoutTeam && teams.size() == 1) {
            team.setValue(teams.get(0));
        }
        VerticalLayout body = new VerticalLayout(new Paragraph("A join token lets an agent enroll this console once per use. "
                + "It is shown only now; the console keeps only its hash."), team, uses, hours);
        body.setPadding(false);
        add(body);

        Button create = new Button("Create token");
        create.setId("create-join-token");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickListener(click -> {
            if (uses.getValue() == null || hours.getValue() == null || uses.isInvalid() || hours.isInvalid()) {
                return;
            }
            if (team.isEmpty() && !mayEnrollWithoutTeam) {
                Attempt.error("Choose the team that will own the host");
                return;
            }
            JoinToken[] created = new JoinToken[1];
            Long teamId = team.isEmpty() ? null : team.getValue().id();
            if (!Attempt.run(() -> created[0] = hosts.createJoinToken(uses.getValue(), Duration.ofHours(hours.getValue()), teamId))) {
                return;
            }
            JoinToken token = created[0];
            body.removeAll();
            Code command = new Code(command(consoleUrl(), token.token()));
            command.setId("join-command");
            command.getStyle().set("white-space", "pre-wrap").set("word-break", "break-all");
            body.add(new Paragraph("On the new host, as root, with Java 17 installed, run:"), command,
                    new Paragraph("The token works for " + token.maxUses() + (token.maxUses() == 1 ? " host" : " hosts")
                            + " until " + EXPIRES.format(token.expiresAt()) + ". The agent keeps its own credential "
                            + "afterwards, so the token is not needed again."));
            create.setVisible(false);
        });
        Button close = new Button("Close", click -> close());
        close.setId("close-add-host");
        getFooter().add(close, create);
    }

    static String command(String consoleUrl, String token) {
        return "java -jar hawser-agent.jar --data-root /var/lib/hawser --socket /run/hawser/hawser.sock "
                + "--console-url " + consoleUrl + " --join-token " + token;
    }

    /** This console as the browser reached it; behind a proxy, the address the browser used. */
    private static String consoleUrl() {
        VaadinServletRequest current = VaadinServletRequest.getCurrent();
        if (current == null) {
            return "http://localhost:8080";
        }
        HttpServletRequest http = current.getHttpServletRequest();
        String scheme = http.getScheme();
        int port = http.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + http.getServerName() + (defaultPort ? "" : ":" + port) + http.getContextPath();
    }
}
