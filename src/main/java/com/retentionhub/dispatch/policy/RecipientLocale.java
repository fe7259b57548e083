package com.retentionhub.dispatch.policy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a recipient is, for quiet hours: their own time zone when the contact has one, else the
 * zone(s) and US state of their NANP area code (libphonenumber's offline data), else the
 * business's zone. Lookups are cached per area code.
 */
public final class RecipientLocale {

    /** The zones a message must respect (all of them, when an area code spans several) and the state, if known. */
    public record Place(List<ZoneId> zones, String state) {}

    private static final Map<String, String> STATES = Map.ofEntries(
            Map.entry("Alabama", "AL"), Map.entry("Alaska", "AK"), Map.entry("Arizona", "AZ"), Map.entry("Arkansas", "AR"),
            Map.entry("California", "CA"), Map.entry("Colorado", "CO"), Map.entry("Connecticut", "CT"), Map.entry("Delaware", "DE"),
            Map.entry("Florida", "FL"), Map.entry("Georgia", "GA"), Map.entry("Hawaii", "HI"), Map.entry("Idaho", "ID"),
            Map.entry("Illinois", "IL"), Map.entry("Indiana", "IN"), Map.entry("Iowa", "IA"), Map.entry("Kansas", "KS"),
            Map.entry("Kentucky", "KY"), Map.entry("Louisiana", "LA"), Map.entry("Maine", "ME"), Map.entry("Maryland", "MD"),
            Map.entry("Massachusetts", "MA"), Map.entry("Michigan", "MI"), Map.entry("Minnesota", "MN"), Map.entry("Mississippi", "MS"),
            Map.entry("Missouri", "MO"), Map.entry("Montana", "MT"), Map.entry("Nebraska", "NE"), Map.entry("Nevada", "NV"),
            Map.entry("New Hampshire", "NH"), Map.entry("New Jersey", "NJ"), Map.entry("New Mexico", "NM"), Map.entry("New York", "NY"),
            Map.entry("North Carolina", "NC"), Map.entry("North Dakota", "ND"), Map.entry("Ohio", "OH"), Map.entry("Oklahoma", "OK"),
            Map.entry("Oregon", "OR"), Map.entry("Pennsylvania", "PA"), Map.entry("Rhode Island", "RI"), Map.entry("South Carolina", "SC"),
            Map.entry("South Dakota", "SD"), Map.entry("Tennessee", "TN"), Map.entry("Texas", "TX"), Map.entry("Utah", "UT"),
            Map.entry("Vermont", "VT"), Map.entry("Virginia", "VA"), Map.entry("Washington", "WA"), Map.entry("Washington D.C.", "DC"),
            Map.entry("West Virginia", "WV"), Map.entry("Wisconsin", "WI"), Map.entry("Wyoming", "WY"));

    private final ZoneId businessZone;
    private final Map<String, Place> byAreaCode = new ConcurrentHashMap<>();

    public RecipientLocale(ZoneId businessZone) {
        this.businessZone = businessZone;
    }

    /** @param contactZone the contact's own time zone, or null */
    public Place of(String e164, String contactZone) {
        Place fromNumber = e164 != null && e164.startsWith("+1") && e164.length() == 12
                ? byAreaCode.computeIfAbsent(e164.substring(2, 5), npa -> lookUp(e164))
                : new Place(List.of(businessZone), null);
        if (contactZone != null && !contactZone.isBlank()) {
            return new Place(List.of(ZoneId.of(contactZone)), fromNumber.state());
        }
        return fromNumber;
    }

    private Place lookUp(String e164) {
        try {
            PhoneNumber number = PhoneNumberUtil.getInstance().parse(e164, "US");
            List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
            String description = PhoneNumberOfflineGeocoder.getInstance().getDescriptionForNumber(number, Locale.ENGLISH);
            // More than a handful of zones means a non-geographic number (toll-free): not a place.
            List<ZoneId> zoneIds = zones.isEmpty() || zones.size() > 3 || zones.contains(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())
                    ? List.of(businessZone)
                    : zones.stream().map(ZoneId::of).toList();
            return new Place(zoneIds, stateOf(description));
        } catch (NumberParseException e) {
            return new Place(List.of(businessZone), null);
        }
    }

    /** "Florida" or "Miami, FL" to FL; anything else (a Canadian province, nothing) to null. */
    static String stateOf(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        int comma = description.lastIndexOf(", ");
        if (comma >= 0) {
            String code = description.substring(comma + 2).trim();
            return STATES.containsValue(code) ? code : null;
        }
        return STATES.get(description.trim());
    }
}
