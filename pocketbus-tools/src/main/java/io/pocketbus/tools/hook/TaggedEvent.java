package io.pocketbus.tools.hook;

import java.util.List;

/** An event that names what it is about (for record and collection events: the collection id and name). */
public interface TaggedEvent {
    List<String> tags();
}
