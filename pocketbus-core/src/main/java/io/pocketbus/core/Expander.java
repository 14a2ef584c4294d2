package io.pocketbus.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PocketBase's {@code ?expand=}: relation fields ({@code rel}, nested {@code rel.sub}) and back-relations
 * ({@code col_via_field}), at most 6 levels, each hop loaded through an {@link ExpandFetcher}.
 */
final class Expander {
    static final int MAX_DEPTH = 6;
    static final int MAX_BACK_RELATIONS = 1000;

    private final App app;

    Expander(App app) {
        this.app = app;
    }

    /** Parses {@code "a, b.c"} into unique paths of at most {@link #MAX_DEPTH} segments. */
    static List<List<String>> parse(String expand) {
        LinkedHashSet<List<String>> paths = new LinkedHashSet<>();
        for (String raw : expand.replace(" ", "").split(",")) {
            if (raw.isEmpty()) {
                continue;
            }
            List<String> parts = new ArrayList<>(List.of(raw.split("\\.")));
            parts.removeIf(String::isEmpty);
            if (parts.size() > MAX_DEPTH) {
                parts = parts.subList(0, MAX_DEPTH);
            }
            if (!parts.isEmpty()) {
                paths.add(List.copyOf(parts));
            }
        }
        return new ArrayList<>(paths);
    }

    void expand(List<Record> records, String expand, ExpandFetcher fetcher) {
        expandPaths(records, parse(expand), fetcher);
    }

    private void expandPaths(List<Record> records, List<List<String>> paths, ExpandFetcher fetcher) {
        if (records.isEmpty() || paths.isEmpty()) {
            return;
        }
        Map<String, List<List<String>>> byFirst = new LinkedHashMap<>();
        for (List<String> p : paths) {
            List<List<String>> rest = byFirst.computeIfAbsent(p.get(0), k -> new ArrayList<>());
            if (p.size() > 1) {
                rest.add(p.subList(1, p.size()));
            }
        }
        Collection collection = records.get(0).collection();
        for (Map.Entry<String, List<List<String>>> e : byFirst.entrySet()) {
            String key = e.getKey();
            Optional<Field> field = collection.field(key);
            if (field.isPresent() && field.get() instanceof RelationField rf) {
                expandRelation(records, rf, e.getValue(), fetcher);
            } else if (field.isEmpty() && key.contains("_via_")) {
                expandBackRelation(records, key, e.getValue(), fetcher);
            }
        }
    }

    private void expandRelation(List<Record> records, RelationField rf, List<List<String>> sub, ExpandFetcher fetcher) {
        Optional<Collection> target = app.findCollectionByNameOrId(rf.collectionId());
        if (target.isEmpty() || !fetcher.canView(target.get())) {
            return;
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (Record r : records) {
            r.initExpand();
            ids.addAll(r.getStringList(rf.name()));
        }
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Record> found = new LinkedHashMap<>();
        for (Record rel : fetcher.fetch(target.get(), new ArrayList<>(ids))) {
            found.put(rel.id(), rel);
        }
        expandPaths(new ArrayList<>(found.values()), sub, fetcher);
        for (Record r : records) {
            List<Record> related = new ArrayList<>();
            for (String id : r.getStringList(rf.name())) {
                Record rel = found.get(id);
                if (rel != null) {
                    related.add(rel);
                }
            }
            if (related.isEmpty()) {
                continue;
            }
            r.setExpand(rf.name(), rf.isMultiple() ? related : related.get(0));
        }
    }

    private void expandBackRelation(List<Record> records, String key, List<List<String>> sub, ExpandFetcher fetcher) {
        int at = key.indexOf("_via_");
        Optional<Collection> source = app.findCollectionByNameOrId(key.substring(0, at));
        String fieldName = key.substring(at + "_via_".length());
        Collection collection = records.get(0).collection();
        if (source.isEmpty() || !fetcher.canView(source.get())) {
            return;
        }
        Optional<Field> f = source.get().field(fieldName);
        if (f.isEmpty() || !(f.get() instanceof RelationField rf) || !rf.collectionId().equals(collection.id())) {
            return;
        }
        boolean single = !rf.isMultiple() && CollectionValidator.hasUniqueIndex(source.get(), rf.name());
        Map<String, List<String>> refsByParent = new LinkedHashMap<>();
        LinkedHashSet<String> allRefs = new LinkedHashSet<>();
        for (Record r : records) {
            r.initExpand();
            List<String> refs = new ArrayList<>();
            for (Record ref : app.findRecordsByField(source.get(), rf.name(), r.id())) {
                if (refs.size() >= MAX_BACK_RELATIONS) {
                    break;
                }
                refs.add(ref.id());
            }
            refsByParent.put(r.id(), refs);
            allRefs.addAll(refs);
        }
        if (allRefs.isEmpty()) {
            return;
        }
        Map<String, Record> found = new LinkedHashMap<>();
        for (Record rel : fetcher.fetch(source.get(), new ArrayList<>(allRefs))) {
            found.put(rel.id(), rel);
        }
        expandPaths(new ArrayList<>(found.values()), sub, fetcher);
        for (Record r : records) {
            List<Record> related = new ArrayList<>();
            for (String id : refsByParent.getOrDefault(r.id(), List.of())) {
                Record rel = found.get(id);
                if (rel != null) {
                    related.add(rel);
                }
            }
            if (!related.isEmpty()) {
                r.setExpand(key, single ? related.get(0) : related);
            }
        }
    }
}
