package io.postroom.testing.host;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * An EventAdmin that keeps what was posted, as a host's test would, and can act on each event as it
 * is posted (a fault "in the middle of a run"). {@link #sendEvent} is the same as {@link #postEvent}.
 */
public final class RecordingEventAdmin implements EventAdmin {
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile Consumer<Event> onEvent = e -> { };

    @Override
    public void postEvent(Event event) {
        events.add(event);
        onEvent.accept(event);
    }

    @Override
    public void sendEvent(Event event) {
        postEvent(event);
    }

    /** What was posted so far, oldest first. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The topics of what was posted so far, oldest first. */
    public List<String> topics() {
        return events.stream().map(Event::getTopic).toList();
    }

    /** What was posted with this topic, oldest first. */
    public List<Event> topic(String topic) {
        return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }

    /** The latest event. */
    public Event last() {
        return events.get(events.size() - 1);
    }

    /** Runs {@code action} with every event from now on, in the thread that posts it, after recording it. */
    public void onEvent(Consumer<Event> action) {
        onEvent = Objects.requireNonNull(action, "action");
    }

    /** Runs {@code action} once, in the thread that posts it, on the first event with this topic from now on. */
    public void onFirst(String topic, Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        onEvent(e -> {
            if (e.getTopic().equals(topic) && done.compareAndSet(false, true)) {
                action.run();
            }
        });
    }

    /** Forgets what was posted and stops acting on events. */
    public void clear() {
        events.clear();
        onEvent = e -> { };
    }
}
