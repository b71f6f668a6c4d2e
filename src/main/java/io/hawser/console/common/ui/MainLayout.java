package io.hawser.console.common.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.hawser.console.access.Access;
import io.hawser.console.access.Permission;
import io.hawser.console.audit.ui.AuditView;
import io.hawser.console.containers.ui.ContainersView;
import io.hawser.console.events.ui.EventsView;
import io.hawser.console.security.ui.AccountView;
import io.hawser.console.teams.TeamService;
import io.hawser.console.teams.ui.TeamsView;
import io.hawser.console.users.ui.UsersView;
import io.hawser.console.hosts.ui.HostsView;
import io.hawser.console.images.ui.ImagesView;
import jakarta.annotation.security.PermitAll;

/** The frame around every signed-in view: title, navigation, who is signed in and a sign-out button. */
@PermitAll
@StyleSheet("context://hawser/hawser.css")
public class MainLayout extends AppLayout {

    public MainLayout(AuthenticationContext authentication, Access access, TeamService teams) {
        setPrimarySection(Section.DRAWER);

        Span title = new Span("Hawser");
        title.addClassName("hawser-title");
        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Hosts", HostsView.class, VaadinIcon.SERVER.create()));
        nav.addItem(new SideNavItem("Containers", ContainersView.class, VaadinIcon.CUBES.create()));
        nav.addItem(new SideNavItem("Images", ImagesView.class, VaadinIcon.PACKAGE.create()));
        nav.addItem(new SideNavItem("Events", EventsView.class, VaadinIcon.LIST.create()));
        // Administration: shown to those who may (the views and services check again).
        boolean admin = access.isGlobalAdmin();
        if (admin || !teams.teamsWhereCallerMay(Permission.TEAM_MANAGE).isEmpty()) {
            nav.addItem(new SideNavItem("Teams", TeamsView.class, VaadinIcon.GROUP.create()));
        }
        if (admin) {
            nav.addItem(new SideNavItem("Users", UsersView.class, VaadinIcon.USERS.create()));
            nav.addItem(new SideNavItem("Audit", AuditView.class, VaadinIcon.RECORDS.create()));
        }
        nav.addItem(new SideNavItem("Account", AccountView.class, VaadinIcon.USER.create()));
        addToDrawer(title, nav);

        Span user = new Span(authentication.getPrincipalName().orElse(""));
        user.addClassName("hawser-user");
        Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), click -> authentication.logout());
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        signOut.setId("sign-out");
        HorizontalLayout account = new HorizontalLayout(user, signOut);
        account.setAlignItems(HorizontalLayout.Alignment.CENTER);
        account.addClassName("hawser-account");
        addToNavbar(new DrawerToggle(), account);
    }
}
