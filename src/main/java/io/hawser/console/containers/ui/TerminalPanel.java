package io.hawser.console.containers.ui;

import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.ContainerTerminals;
import io.hawser.console.containers.RunSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A terminal in the container (exec with a TTY), drawn by xterm.js in the browser (a static resource, see
 * docs/decisions/0002-frontend-without-bundle-build.md). Keystrokes and size changes come back through
 * {@link ClientCallable}s of the screen; output is pushed as it arrives. Closed when the tab is left.
 */
class TerminalPanel extends VerticalLayout {

    private final ContainerTerminals terminals;
    private final ContainerRef ref;
    private final TextField command = new TextField();
    private final Screen screen = new Screen();

    TerminalPanel(ContainerTerminals terminals, ContainerRef ref) {
        this.terminals = terminals;
        this.ref = ref;
        setPadding(false);
        command.setId("terminal-command");
        command.setValue("sh");
        command.setLabel("Command");
        Button connect = new Button("Connect", e -> connect());
        connect.setId("terminal-connect");
        Button disconnect = new Button("Disconnect", e -> screen.disconnect());
        disconnect.setId("terminal-disconnect");
        HorizontalLayout bar = new HorizontalLayout(command, connect, disconnect);
        bar.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(bar, screen);
        addAttachListener(e -> connect());
        addDetachListener(e -> screen.disconnect());
    }

    private void connect() {
        screen.disconnect();
        try {
            ContainerTerminals.Session session = terminals.open(ref, RunSpec.splitCommand(command.getValue()), 100, 24);
            screen.attachSession(session);
        } catch (RuntimeException e) {
            Problems.notify(e);
        }
    }

    @JavaScript("context://hawser/vendor/xterm-5.3.0/xterm.js")
    @JavaScript("context://hawser/terminal.js")
    @StyleSheet("context://hawser/vendor/xterm-5.3.0/xterm.css")
    static class Screen extends Div {

        private volatile ContainerTerminals.Session session;
        private StreamPump pump;

        Screen() {
            setId("terminal");
            addClassName("terminal-screen");
        }

        void attachSession(ContainerTerminals.Session s) {
            session = s;
            getElement().executeJs("window.hawserTerminal.open(this)");
            UI ui = UI.getCurrent();
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            pump = StreamPump.start("terminal", s, () -> {
                byte[] bytes = new byte[8192];
                ByteBuffer in = ByteBuffer.allocate(8192 + 8);
                CharBuffer out = CharBuffer.allocate(8192 + 8);
                for (int n; (n = s.output().read(bytes)) >= 0; ) {
                    in.put(bytes, 0, n).flip();
                    decoder.decode(in, out, false); // a character split across reads waits for its rest
                    in.compact();
                    String text = out.flip().toString();
                    out.clear();
                    if (!text.isEmpty()) {
                        ui.access(() -> getElement().executeJs("window.hawserTerminal.write(this, $0)", text));
                    }
                }
                ui.access(() -> getElement().executeJs("window.hawserTerminal.write(this, $0)", "\r\n[session ended]\r\n"));
            });
        }

        void disconnect() {
            if (pump != null) {
                pump.stop();
                pump = null;
            }
            session = null;
        }

        /** Keystrokes from xterm.js. */
        @ClientCallable
        void input(String data) {
            ContainerTerminals.Session s = session;
            if (s != null && data != null) {
                try {
                    s.write(data.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    disconnect();
                }
            }
        }

        /** The terminal's size in characters changed (xterm.js fitted it to its box). */
        @ClientCallable
        void resize(int columns, int rows) {
            ContainerTerminals.Session s = session;
            if (s != null) {
                try {
                    s.resize(columns, rows);
                } catch (IOException e) {
                    // the next keystroke finds out whether the session is gone
                }
            }
        }
    }
}
