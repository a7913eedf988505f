package io.postroom.sync.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** An EventAdmin that keeps what was posted and can act on it (a fault "in the middle of a run"). */
final class RecordingEventAdmin implements EventAdmin {
    final List<Event> events = new CopyOnWriteArrayList<>();
    volatile Consumer<Event> onEvent = e -> { };

    @Override
    public void postEvent(Event event) {
        events.add(event);
        onEvent.accept(event);
    }

    @Override
    public void sendEvent(Event event) {
        postEvent(event);
    }

    List<Event> topic(String topic) {
        return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }

    void clear() {
        events.clear();
        onEvent = e -> { };
    }
}
