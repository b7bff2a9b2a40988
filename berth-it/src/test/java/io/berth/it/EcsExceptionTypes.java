package io.berth.it;

import software.amazon.awssdk.services.ecs.model.EcsException;

/** Where AWS's documentation does not pin which of two client errors a rule raises. */
final class EcsExceptionTypes {
    static final Class<EcsException> CLIENT_OR_INVALID = EcsException.class;

    private EcsExceptionTypes() {
    }
}
