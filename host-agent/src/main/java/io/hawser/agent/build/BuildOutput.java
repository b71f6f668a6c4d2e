package io.hawser.agent.build;

/** Where a build's progress goes: dockerd's jsonmessage {@code stream} text and the final {@code aux} image id. */
public interface BuildOutput {

    void stream(String text);

    void aux(String imageId);
}
