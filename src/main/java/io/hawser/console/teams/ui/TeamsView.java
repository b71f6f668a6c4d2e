package io.hawser.console.teams.ui;

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
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.hawser.console.access.Access;
import io.hawser.console.access.Permission;
import io.hawser.console.access.TeamRole;
import io.hawser.console.common.ui.Attempt;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.hosts.Host;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.teams.Team;
import io.hawser.console.teams.TeamHost;
import io.hawser.console.teams.TeamMember;
import io.hawser.console.teams.TeamService;
import io.hawser.console.users.Username;
import jakarta.annotation.security.PermitAll;
import java.time.Duration;

/**
 * Teams: a global administrator creates and deletes them and assigns hosts; a team's admin manages its members and
 * creates join tokens that enroll hosts into it; members see their teams. Buttons show only what the caller may
 * do ({@link Access#mayInTeam}); the services decide again and audit.
 */
@Route(value = "admin/teams", layout = MainLayout.class)
@PageTitle("Teams · Hawser")
@PermitAll
public class TeamsView extends VerticalLayout {

    private final TeamService teams;
    private final HostService hosts;
    private final Access access;
    private final Grid<Team> grid = new Grid<>();
    private final VerticalLayout detail = new VerticalLayout();

    public TeamsView(TeamService teams, HostService hosts, Access access) {
        this.teams = teams;
        this.hosts = hosts;
        this.access = access;
        add(new H2("Teams"));
        if (access.isGlobalAdmin()) {
            TextField name = new TextField("New team");
            name.setId("new-team-name");
            Button create = new Button("Create team", click -> {
                if (Attempt.run(() -> teams.create(name.getValue(), null))) {
                    name.clear();
                    refresh();
                }
            });
            create.setId("create-team");
            HorizontalLayout form = new HorizontalLayout(name, create);
            form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            add(form);
        }
        grid.setId("teams-grid");
        grid.addColumn(Team::name).setHeader("Team");
        grid.addColumn(Team::members).setHeader("Members");
        grid.addColumn(Team::hosts).setHeader("Hosts");
        grid.setHeight("16em");
        grid.asSingleSelect().addValueChangeListener(e -> show(e.getValue()));
        add(grid, detail);
        refresh();
    }

    private void refresh() {
        grid.setItems(teams.visibleTeams());
        detail.removeAll();
    }

    private void show(Team team) {
        detail.removeAll();
        if (team == null) {
            return;
        }
        detail.add(new H3(team.name()));
        boolean manage = access.mayInTeam(team.id(), Permission.TEAM_MANAGE);
        Grid<TeamMember> members = new Grid<>();
        members.setId("team-members");
        members.setAllRowsVisible(true);
        members.addColumn(TeamMember::username).setHeader("Member");
        members.addColumn(m -> m.role().name()).setHeader("Role");
        if (manage) {
            members.addComponentColumn(m -> new Button("Remove", click -> {
                if (Attempt.run(() -> teams.removeMember(team.id(), new Username(m.username())))) {
                    members.setItems(teams.members(team.id()));
                }
            }));
        }
        Attempt.run(() -> members.setItems(teams.members(team.id())));
        detail.add(members);
        if (manage) {
            TextField user = new TextField("User");
            user.setId("member-name");
            ComboBox<TeamRole> role = new ComboBox<>("Role");
            role.setId("member-role");
            role.setItems(TeamRole.values());
            role.setValue(TeamRole.VIEWER);
            Button set = new Button("Add or change member", click -> {
                if (role.getValue() != null && Attempt.run(() -> teams.setMember(team.id(), Username.parse(user.getValue()),
                        role.getValue()))) {
                    members.setItems(teams.members(team.id()));
                }
            });
            set.setId("set-member");
            HorizontalLayout form = new HorizontalLayout(user, role, set);
            form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            detail.add(form);
        }

        Grid<TeamHost> owned = new Grid<>();
        owned.setAllRowsVisible(true);
        owned.addColumn(TeamHost::name).setHeader("Host");
        if (access.isGlobalAdmin()) {
            owned.addComponentColumn(h -> new Button("Unassign", click -> {
                if (Attempt.run(() -> teams.unassignHost(team.id(), h.id()))) {
                    owned.setItems(teams.hosts(team.id()));
                }
            }));
            ComboBox<Host> host = new ComboBox<>("Assign host");
            host.setItems(hosts.visibleHosts());
            host.setItemLabelGenerator(Host::name);
            host.addValueChangeListener(e -> {
                if (e.getValue() != null && Attempt.run(() -> teams.assignHost(team.id(), e.getValue().id()))) {
                    owned.setItems(teams.hosts(team.id()));
                }
            });
            detail.add(host);
        }
        Attempt.run(() -> owned.setItems(teams.hosts(team.id())));
        detail.add(owned);

        if (access.mayInTeam(team.id(), Permission.HOST_ENROLL)) {
            Button token = new Button("Create join token for this team", click -> Attempt.run(() -> {
                JoinToken t = hosts.createJoinToken(1, Duration.ofHours(24), team.id());
                Code code = new Code(t.token());
                code.setId("team-join-token");
                detail.add(new Paragraph("One host may join " + team.name() + " with this token within 24 hours; "
                        + "start its agent with --join-token and this value. It is shown only now:"), code);
            }));
            token.setId("team-join-token-create");
            token.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            detail.add(token);
        }
        if (access.isGlobalAdmin()) {
            Button delete = new Button("Delete team", click -> {
                if (Attempt.run(() -> teams.delete(team.id()))) {
                    refresh();
                }
            });
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
            detail.add(delete);
        }
    }
}
