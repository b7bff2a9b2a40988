package io.berth.aws.model;

import java.util.List;

/** An operation of a service model: its input and output shape names (null when none). */
public record Operation(String name, String input, String output, List<String> errors) {
}
