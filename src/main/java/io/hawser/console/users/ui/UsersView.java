package io.hawser.console.users.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.hawser.console.access.Access;
import io.hawser.console.common.ui.Attempt;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.hosts.ui.HostsView;
import io.hawser.console.users.Role;
import io.hawser.console.users.SecondFactor;
import io.hawser.console.users.UserService;
import io.hawser.console.users.UserSummary;
import io.hawser.console.users.Username;
import jakarta.annotation.security.PermitAll;
import java.util.Set;

/** Users, for global administrators: create, disable or enable, reset a password. The service decides and audits. */
@Route(value = "admin/users", layout = MainLayout.class)
@PageTitle("Users · Hawser")
@PermitAll
public class UsersView extends VerticalLayout implements BeforeEnterObserver {

    private final Access access;
    private final UserService users;
    private final Grid<UserSummary> grid = new Grid<>();

    public UsersView(UserService users, SecondFactor secondFactor, Access access) {
        this.users = users;
        this.access = access;
        add(new H2("Users"));

        TextField name = new TextField("User name");
        name.setId("new-user-name");
        PasswordField password = new PasswordField("Password");
        password.setId("new-user-password");
        password.setHelperText("At least 12 characters; not the user name nor a common password");
        Checkbox admin = new Checkbox("Administrator");
        admin.setId("new-user-admin");
        Button create = new Button("Create user", click -> {
            if (Attempt.run(() -> users.create(Username.parse(name.getValue()), password.getValue(),
                    admin.getValue() ? Set.of(Role.ADMIN) : Set.of()))) {
                Attempt.done("User " + name.getValue().strip() + " created");
                name.clear();
                password.clear();
                admin.clear();
                refresh();
            }
        });
        create.setId("create-user");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, password, admin, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(form);

        grid.setId("users-grid");
        grid.addColumn(UserSummary::username).setHeader("User");
        grid.addColumn(u -> u.admin() ? "administrator" : "").setHeader("Global role");
        grid.addColumn(u -> u.enabled() ? "enabled" : "disabled").setHeader("State");
        grid.addComponentColumn(u -> {
            Button toggle = new Button(u.enabled() ? "Disable" : "Enable", click -> {
                if (Attempt.run(() -> users.setEnabled(new Username(u.username()), !u.enabled()))) {
                    refresh();
                }
            });
            Button reset = new Button("Reset password", click -> resetDialog(u.username()).open());
            Button totp = new Button("Reset second factor", click -> {
                if (Attempt.run(() -> secondFactor.reset(new Username(u.username())))) {
                    Attempt.done("Second factor of " + u.username() + " turned off");
                }
            });
            return new HorizontalLayout(toggle, reset, totp);
        }).setHeader("Actions").setAutoWidth(true);
        addAndExpand(grid);
    }

    private Dialog resetDialog(String username) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New password for " + username);
        PasswordField password = new PasswordField("New password");
        dialog.add(password);
        Button set = new Button("Set password", click -> {
            if (Attempt.run(() -> users.resetPassword(new Username(username), password.getValue()))) {
                Attempt.done("Password of " + username + " reset; their sessions ended");
                dialog.close();
            }
        });
        set.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), set);
        return dialog;
    }

    private void refresh() {
        grid.setItems(users.list());
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!access.isGlobalAdmin()) {
            event.rerouteTo(HostsView.class);
            return;
        }
        refresh();
    }
}
