package io.hawser.console.images.ui;

import com.vaadin.flow.component.checkbox.CheckboxGroup;
import io.hawser.console.images.FleetImage;
import java.util.List;
import java.util.Set;

/** The hosts an image change is to be made on: those offered, all chosen at first when there are few. */
final class HostChoice extends CheckboxGroup<FleetImage.HostRef> {

    HostChoice(String label, List<FleetImage.HostRef> offered, boolean chooseAll) {
        super(label);
        setId("image-hosts");
        setItems(offered);
        setItemLabelGenerator(FleetImage.HostRef::name);
        if (chooseAll || offered.size() == 1) {
            setValue(Set.copyOf(offered));
        }
    }

    /** The chosen hosts in the order offered. */
    List<FleetImage.HostRef> chosen() {
        Set<FleetImage.HostRef> value = getValue();
        return getListDataView().getItems().filter(value::contains).toList();
    }
}
