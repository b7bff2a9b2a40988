package io.berth.aws.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One shape of an AWS API model (botocore/Smithy JSON form), as far as request validation needs it.
 *
 * @param type structure, list, map, string, integer, long, float, double, boolean, timestamp, blob
 * @param members structure members by wire name, in declaration order
 * @param required required member names of a structure
 * @param member element shape of a list
 * @param key key shape of a map
 * @param value value shape of a map
 * @param enumValues allowed values of a string, empty when any
 * @param min minimum length (string, list, map) or value (numbers), null when none
 * @param max maximum length or value, null when none
 * @param pattern regular expression a string must match, null when none
 * @param document whether the shape is a free-form document
 * @param errorStatus the HTTP status of an exception shape, 0 otherwise
 */
public record Shape(
        String name,
        String type,
        Map<String, String> members,
        Set<String> required,
        String member,
        String key,
        String value,
        List<String> enumValues,
        Double min,
        Double max,
        Pattern pattern,
        boolean document,
        int errorStatus) {

    public boolean isStructure() {
        return "structure".equals(type);
    }
}
