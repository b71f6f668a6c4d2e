package io.hawser.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TunnelChannelTest {

    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TunnelChannel channel = new TunnelChannel(7, sent::add, () -> closed.set(true));

    @Test
    void write_sendsDataFramesOfAtMostMaxData_untilTheWindowIsUsed() throws Exception {
        Thread writer = new Thread(() -> {
            try {
                channel.output().write(new byte[TunnelChannel.WINDOW + 10]);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        awaitSentBytes(TunnelChannel.WINDOW);
        writer.join(200);
        assertThat(writer.isAlive()).as("blocked on an exhausted window").isTrue();
        assertThat(sentBytes()).isEqualTo(TunnelChannel.WINDOW);
        assertThat(sent).allSatisfy(f -> {
            assertThat(f.type()).isEqualTo(Frame.Type.DATA);
            assertThat(f.channel()).isEqualTo(7);
            assertThat(f.payload().length).isLessThanOrEqualTo(Frame.MAX_DATA);
        });

        channel.onFrame(Frame.window(7, 4));
        awaitSentBytes(TunnelChannel.WINDOW + 4);
        channel.onFrame(Frame.window(7, 100));
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(writer.isAlive()).isFalse();
        assertThat(sentBytes()).isEqualTo(TunnelChannel.WINDOW + 10);
    }

    @Test
    void read_returnsDataInOrder_creditsItBack_andEndsAtEof() throws Exception {
        channel.onFrame(new Frame(Frame.Type.DATA, 7, new byte[] {1, 2, 3}));
        channel.onFrame(new Frame(Frame.Type.DATA, 7, new byte[] {4, 5}));
        channel.onFrame(new Frame(Frame.Type.EOF, 7, null));
        InputStream in = channel.input();

        assertThat(in.readAllBytes()).containsExactly(1, 2, 3, 4, 5);
        assertThat(in.read()).isEqualTo(-1);
        int credited = sent.stream().filter(f -> f.type() == Frame.Type.WINDOW).mapToInt(Frame::credit).sum();
        assertThat(credited).isEqualTo(5);
    }

    @Test
    void dataBeyondTheWindow_closesTheChannel() {
        channel.onFrame(new Frame(Frame.Type.DATA, 7, new byte[TunnelChannel.WINDOW]));
        assertThat(channel.isClosed()).isFalse();
        channel.onFrame(new Frame(Frame.Type.DATA, 7, new byte[1]));

        assertThat(channel.isClosed()).isTrue();
        assertThat(closed).isTrue();
        assertThat(sent).extracting(Frame::type).containsExactly(Frame.Type.CLOSE);
        assertThat(channel.closeReason()).contains("flow control");
    }

    @Test
    void closeFromTheOtherSide_failsBlockedReadsAndWrites() throws Exception {
        OutputStream out = channel.output();
        out.write(new byte[TunnelChannel.WINDOW]);
        Thread reader = new Thread(() -> assertThatThrownBy(() -> channel.input().read())
                .isInstanceOf(IOException.class).hasMessageContaining("gone away"));
        reader.start();
        channel.onFrame(new Frame(Frame.Type.CLOSE, 7, "gone away".getBytes()));
        reader.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(reader.isAlive()).isFalse();
        assertThat(closed).isTrue();
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("gone away");
    }

    @Test
    void shutdownOutput_sendsOneEof_andRefusesFurtherWrites() throws Exception {
        channel.shutdownOutput();
        channel.shutdownOutput();
        assertThat(sent).extracting(Frame::type).containsExactly(Frame.Type.EOF);
        assertThatThrownBy(() -> channel.output().write(1)).hasMessageContaining("write after shutdownOutput");
    }

    @Test
    void readTimeout_failsAReadThatHearsNothing() throws Exception {
        channel.readTimeout(java.time.Duration.ofMillis(50));
        assertThatThrownBy(() -> channel.input().read()).isInstanceOf(java.net.SocketTimeoutException.class)
                .hasMessageContaining("nothing received on tunnel 7");
        channel.onFrame(new Frame(Frame.Type.DATA, 7, new byte[] {42}));
        assertThat(channel.input().read()).isEqualTo(42);
    }

    private long sentBytes() {
        return sent.stream().filter(f -> f.type() == Frame.Type.DATA).mapToLong(f -> f.payload().length).sum();
    }

    private void awaitSentBytes(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sentBytes() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
