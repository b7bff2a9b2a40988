/**
 * Registry login for the agent's pulls: images in Berth's own registry are pulled with an ECR token
 * the agent gets with its own access key, as the ECS agent uses the task execution role's.
 *
 * <pre>
 *   engine worker ── PullCredentials.forImage(image) ──▶ RegistryLogin
 *                                                          │ is the image's host the server's
 *                                                          │ (server URL, or a proxyEndpoint the
 *                                                          │ registry reported)? else anonymous
 *                                                          │ cached token, refreshed shortly before
 *                                                          ▼ it expires
 *                                         TokenSource ── EcrTokenClient: ECR GetAuthorizationToken
 *                                                         (SigV4, the agent's key) on the server
 * </pre>
 *
 * <p>Not done: a container definition's {@code repositoryCredentials} (a Secrets Manager ARN for a
 * private registry elsewhere) is not read; such images are pulled anonymously.
 */
package io.berth.agent.registry;
