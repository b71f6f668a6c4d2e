package io.hawser.console.hosts;

/** PENDING: enrolled, never connected. ONLINE: its agent is connected. UNREACHABLE: its agent stopped talking. */
public enum HostStatus {
    PENDING, ONLINE, UNREACHABLE
}
