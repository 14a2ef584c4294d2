package io.pocketbus.tools.types;

import java.util.LinkedHashMap;
import java.util.Map;

/** A longitude/latitude pair; PocketBase writes it as {@code {"lon":..,"lat":..}} and treats (0,0) as empty. */
public record GeoPoint(double lon, double lat) {
    public static final GeoPoint ZERO = new GeoPoint(0, 0);

    public boolean isZero() {
        return lon == 0 && lat == 0;
    }

    /** {@code lon} then {@code lat}, numbers as Go prints them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("lon", Numbers.normalise(lon));
        map.put("lat", Numbers.normalise(lat));
        return map;
    }
}
