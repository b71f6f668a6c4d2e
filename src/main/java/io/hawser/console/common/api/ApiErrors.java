package io.hawser.console.common.api;

import io.hawser.console.access.NotVisibleException;
import io.hawser.console.link.HostNotConnectedException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors of the console's REST API ({@code /api/**}) as dockerd answers its own: the status, and a body
 * {@code {"message": ...}}; never a stack trace. Unexpected errors are logged here with their trace and answered
 * with a plain 500.
 */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    /** The body of every error answer. */
    public static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("message", message == null ? status.getReasonPhrase() : message));
    }

    @ExceptionHandler(NotVisibleException.class)
    ResponseEntity<Map<String, String>> notVisible(NotVisibleException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Map<String, String>> denied(AccessDeniedException e) {
        return error(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(HostNotConnectedException.class)
    ResponseEntity<Map<String, String>> notConnected(HostNotConnectedException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ExceptionHandler({IllegalArgumentException.class, HttpMessageNotReadableException.class,
            MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Map<String, String>> badRequest(Exception e) {
        String message = e instanceof HttpMessageNotReadableException ? "the request body is not valid JSON for this request"
                : e.getMessage();
        return error(HttpStatus.BAD_REQUEST, message);
    }

    @ExceptionHandler(AgentErrorException.class)
    ResponseEntity<Map<String, String>> agent(AgentErrorException e) {
        HttpStatus status = HttpStatus.resolve(e.status());
        return error(status == null ? HttpStatus.BAD_GATEWAY : status, e.getMessage());
    }

    /** A path no endpoint serves (Spring reports it as a missing static resource). */
    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, String>> noEndpoint(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, "page not found");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, String>> method(HttpRequestMethodNotSupportedException e) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, "method " + e.getMethod() + " is not allowed here");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content type " + e.getContentType() + " is not supported here");
    }

    /** The client went away during a streamed answer (a followed log it stopped reading): there is no one to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e) {
        log.debug("client gone: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e) {
        log.error("REST request failed", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error; the console's log has the details");
    }
}
