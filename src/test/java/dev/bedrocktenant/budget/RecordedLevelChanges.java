package dev.bedrocktenant.budget;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;

/** The level changes {@link AlertLevels} announces, kept for a test to read instead of going to notifiers. */
public final class RecordedLevelChanges implements Event<LevelChange> {

    private final List<LevelChange> fired = new CopyOnWriteArrayList<>();

    public List<LevelChange> fired() {
        return List.copyOf(fired);
    }

    @Override
    public void fire(LevelChange change) {
        fired.add(change);
    }

    @Override
    public <U extends LevelChange> CompletionStage<U> fireAsync(U event) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends LevelChange> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Event<LevelChange> select(Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends LevelChange> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U extends LevelChange> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
        throw new UnsupportedOperationException();
    }
}
