package io.hawser.console.link;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Response bodies by their framing (RFC 9112 section 6.3): chunked, Content-Length, or until the connection ends. */
final class HttpBodies {

    private HttpBodies() {}

    static InputStream body(HttpHead head, String method, InputStream in) throws IOException {
        if (method.equals("HEAD") || head.status() == 204 || head.status() == 304 || head.status() / 100 == 1) {
            return InputStream.nullInputStream();
        }
        if (head.chunked()) {
            return new Chunked(in);
        }
        var length = head.header("Content-Length");
        if (length.isPresent()) {
            try {
                return new Fixed(in, Long.parseLong(length.get()));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + length.get());
            }
        }
        return in;
    }

    static final class Fixed extends FilterInputStream {
        private long left;

        Fixed(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed with " + left + " bytes of the body missing");
            }
            left -= n;
            return n;
        }
    }

    static final class Chunked extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (chunkLeft == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0 && !HttpHead.readLine(in).isEmpty()) {
                throw new IOException("missing CRLF after chunk data");
            }
            return n;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            String line = HttpHead.readLine(in);
            if (line == null) {
                throw new EOFException("connection closed before the last chunk");
            }
            int semicolon = line.indexOf(';');
            String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
            try {
                chunkLeft = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line: " + line);
            }
            if (chunkLeft < 0) {
                throw new IOException("bad chunk size line: " + line);
            }
            if (chunkLeft == 0) {
                String trailer;
                do {
                    trailer = HttpHead.readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                done = true;
                return false;
            }
            return true;
        }
    }
}
