/**
 * The ECR API (AWS JSON 1.1): one class of operations per area (repositories and policies, images,
 * layers, authorization, lifecycle, scanning), and {@link io.berth.registry.ecr.EcrErrors}, the
 * table from registry errors to ECR's exception shapes.
 */
package io.berth.registry.ecr;
