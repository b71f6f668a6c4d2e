package io.hawser.console.containers.ui;

/**
 * A tab of the container view that reads a stream from the host (logs follow, stats) only while it is the selected
 * tab: a TabSheet keeps a visited tab's content attached (only disabled) after another tab is chosen.
 */
interface LiveTab {

    /** The tab became the selected one (again): open its stream. */
    void shown();

    /** Another tab was chosen, or the view closes: close the stream. */
    void hidden();
}
