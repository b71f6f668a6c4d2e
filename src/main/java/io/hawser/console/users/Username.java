package io.hawser.console.users;

import java.util.Locale;
import java.util.regex.Pattern;

/** A user name: 1 to 64 characters of lower-case letters, digits, '.', '_' and '-', starting with a letter or digit. */
public record Username(String value) {

    private static final Pattern SYNTAX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Username {
        if (value == null || value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException("a user name has 1 to 64 characters");
        }
        if (!SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("a user name may hold only lower-case letters, digits, '.', '_' and '-', "
                    + "and starts with a letter or digit: '" + value + "'");
        }
    }

    /** Parses what a person typed: surrounding blanks dropped, case folded. */
    public static Username parse(String typed) {
        return new Username(typed == null ? null : typed.strip().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }
}
