package io.hawser.link;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One binary WebSocket message of the agent link: {@code [type:1][channel:4 big-endian][payload]}
 * (docs/decisions/0004-agent-link.md). Channel 0 carries control messages (JSON); channels 1..2^31-1 are tunnels the
 * console opens. The agent and the console compile this one source (link-protocol/, decision 0004).
 */
public record Frame(Type type, int channel, byte[] payload) {

    /** Bytes of DATA payload per frame at most; a tunnel's window is several of these. */
    public static final int MAX_DATA = 32 * 1024;

    public enum Type {
        /** A control message (channel 0): UTF-8 JSON with a "type" field. */
        CONTROL(0),
        /** Console → agent: connect this channel to the agent's own Engine API socket. Empty payload. */
        OPEN(1),
        /** Bytes on a tunnel, either way; at most the receiver's window in flight. */
        DATA(2),
        /** The sender will send no more DATA on the channel (a half-close, like shutdown(SHUT_WR)). */
        EOF(3),
        /** The sender is done with the channel both ways; payload: an optional UTF-8 reason. */
        CLOSE(4),
        /** The receiver consumed this many bytes (payload: 4 bytes big-endian) and the sender may send as many more. */
        WINDOW(5);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown frame type " + code);
        }
    }

    public Frame {
        if (channel < 0) {
            throw new IllegalArgumentException("negative channel " + channel);
        }
        if ((type == Type.CONTROL) != (channel == 0)) {
            throw new IllegalArgumentException(type + " frame on channel " + channel);
        }
        payload = payload == null ? new byte[0] : payload;
    }

    public static Frame window(int channel, int bytes) {
        return new Frame(Type.WINDOW, channel, ByteBuffer.allocate(4).putInt(bytes).array());
    }

    /** The WINDOW frame's credit. */
    public int credit() {
        if (type != Type.WINDOW || payload.length != 4) {
            throw new IllegalArgumentException("not a WINDOW frame: " + this);
        }
        return ByteBuffer.wrap(payload).getInt();
    }

    public ByteBuffer encode() {
        ByteBuffer buf = ByteBuffer.allocate(5 + payload.length);
        buf.put((byte) type.code).putInt(channel).put(payload).flip();
        return buf;
    }

    /** @throws IllegalArgumentException for a message shorter than the header, an unknown type or a bad channel */
    public static Frame decode(ByteBuffer message) {
        if (message.remaining() < 5) {
            throw new IllegalArgumentException("link frame of " + message.remaining() + " bytes, shorter than its header");
        }
        Type type = Type.of(message.get() & 0xff);
        int channel = message.getInt();
        byte[] payload = new byte[message.remaining()];
        message.get(payload);
        return new Frame(type, channel, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.type == type && f.channel == channel && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + channel) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return type + "(" + channel + ", " + payload.length + " bytes)";
    }
}
