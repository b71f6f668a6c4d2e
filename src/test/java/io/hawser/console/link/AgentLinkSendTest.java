package io.hawser.console.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.hawser.link.Frame;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A caller interrupted while its frame is being sent (Spring interrupts a streamed REST answer's thread when the client
 * leaves) must not interrupt the WebSocket's blocking send: Tomcat would close the whole link (1006).
 */
class AgentLinkSendTest {

    @Test
    void anInterruptedCallerStopsWaiting_butTheSendItselfIsNeverInterrupted() throws Exception {
        WebSocketSession session = mock(WebSocketSession.class);
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean sendInterrupted = new AtomicBoolean();
        AtomicBoolean sent = new AtomicBoolean();
        doAnswer(invocation -> {
            sending.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                sendInterrupted.set(true);
            }
            sent.set(true);
            return null;
        }).when(session).sendMessage(any(WebSocketMessage.class));
        AgentLink link = new AgentLink(UUID.randomUUID(), session, Clock.systemUTC(), (l, json) -> { });

        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                sending.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        assertThatThrownBy(() -> link.send(new Frame(Frame.Type.OPEN, 7, null))).isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.interrupted()).as("the caller keeps its interrupt").isTrue();
        release.countDown();
        interrupter.join();

        link.send(new Frame(Frame.Type.OPEN, 8, null)); // the link still works, after the first frame went out
        assertThat(sent).isTrue();
        assertThat(sendInterrupted).as("the blocking send was not interrupted").isFalse();
        link.close(org.springframework.web.socket.CloseStatus.NORMAL);
    }
}
