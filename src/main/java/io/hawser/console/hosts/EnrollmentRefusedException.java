package io.hawser.console.hosts;

/** An enrollment the console refuses; {@code status} is the HTTP status the enroll endpoint answers with. */
public class EnrollmentRefusedException extends RuntimeException {

    private final int status;

    public EnrollmentRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
