package io.hawser.console.images.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.hawser.console.common.ui.LiveRefresh;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.hosts.Host;
import io.hawser.console.hosts.HostService;
import io.hawser.console.images.FleetImage;
import io.hawser.console.images.FleetImages;
import io.hawser.console.images.ImageFilter;
import io.hawser.console.inventory.InventoryChanges;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every name of every image on the hosts the signed-in user may see, with the hosts that have it; remove, tag and
 * import for those allowed to change images there (the buttons are hidden elsewhere; the service refuses anyway).
 * Live: while shown, it refreshes by server push when the inventory changes.
 */
@Route(value = "images", layout = MainLayout.class)
@PageTitle("Images · Hawser")
@PermitAll
public class ImagesView extends VerticalLayout {

    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final FleetImages images;
    private final Grid<FleetImage> grid = new Grid<>();
    private final Button importButton = new Button("Import", VaadinIcon.UPLOAD.create());
    private ImageFilter filter = ImageFilter.NONE;
    private Set<UUID> manageable = Set.of();

    public ImagesView(FleetImages images, HostService hosts, InventoryChanges changes) {
        this.images = images;
        setSizeFull();
        importButton.setId("import-image");
        importButton.addClickListener(click -> new ImportDialog(images, images.hostsWhere(
                io.hawser.console.access.Permission.IMAGE_MANAGE)).open());
        add(new H2("Images"), filters(hosts.visibleHosts()));
        configureGrid();
        addAndExpand(grid);
        refresh();
        LiveRefresh.whileAttached(this, changes, this::refresh);
    }

    private HorizontalLayout filters(List<Host> visibleHosts) {
        ComboBox<Host> host = new ComboBox<>("Host", visibleHosts);
        host.setId("filter-host");
        host.setItemLabelGenerator(Host::name);
        host.setClearButtonVisible(true);
        host.addValueChangeListener(e -> {
            filter = filter.withHost(e.getValue() == null ? null : e.getValue().id());
            refresh();
        });
        TextField name = new TextField("Name");
        name.setId("filter-name");
        name.setClearButtonVisible(true);
        name.setPlaceholder("repository, tag or id");
        name.setValueChangeMode(ValueChangeMode.LAZY);
        name.addValueChangeListener(e -> {
            filter = filter.withName(e.getValue());
            refresh();
        });
        importButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout row = new HorizontalLayout(host, name, importButton);
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.setWrap(true);
        return row;
    }

    private void configureGrid() {
        grid.setId("images-grid");
        grid.addColumn(FleetImage::repoTag).setHeader("Image").setSortable(true).setFlexGrow(2);
        grid.addColumn(FleetImage::shortId).setHeader("ID");
        grid.addColumn(i -> size(i.size())).setHeader("Size")
                .setComparator((a, b) -> Long.compare(a.size() == null ? -1 : a.size(), b.size() == null ? -1 : b.size()));
        grid.addColumn(i -> i.created() == null ? "" : CREATED.format(i.created())).setHeader("Created")
                .setComparator((a, b) -> String.valueOf(a.created()).compareTo(String.valueOf(b.created())));
        grid.addColumn(i -> i.hosts().stream().map(FleetImage.HostRef::name).collect(Collectors.joining(", ")))
                .setHeader("Hosts").setFlexGrow(2);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true).setFlexGrow(0);
    }

    private HorizontalLayout actions(FleetImage image) {
        List<FleetImage.HostRef> mine = image.hosts().stream().filter(h -> manageable.contains(h.id())).toList();
        HorizontalLayout row = new HorizontalLayout();
        if (mine.isEmpty()) {
            return row;
        }
        Button tag = new Button("Tag", click -> new TagDialog(images, image, mine).open());
        tag.addClassName("image-tag");
        tag.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        Button remove = new Button("Remove", click -> new RemoveDialog(images, image, mine).open());
        remove.addClassName("image-remove");
        remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
        row.add(tag, remove);
        return row;
    }

    private void refresh() {
        manageable = images.manageableHosts();
        importButton.setVisible(!manageable.isEmpty());
        grid.setItems(images.list(filter));
    }

    static String size(Long bytes) {
        if (bytes == null) {
            return "";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
