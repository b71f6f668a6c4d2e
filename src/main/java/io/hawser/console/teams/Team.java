package io.hawser.console.teams;

/** A team as listed: its members and hosts counted. */
public record Team(long id, String name, String description, int members, int hosts) {
}
