/**
 * Lifecycle policies: parsing and ECR's validation ({@link io.berth.registry.lifecycle.LifecyclePolicy}),
 * the pure evaluation ({@link io.berth.registry.lifecycle.LifecycleEvaluator}), previews, and the
 * background enforcement ({@link io.berth.registry.lifecycle.LifecycleEnforcer}).
 */
package io.berth.registry.lifecycle;
