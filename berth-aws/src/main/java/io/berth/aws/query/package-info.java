/**
 * The AWS query protocol ({@code awsQuery}: ELBv2, IAM, STS, ...), beside the JSON protocols of
 * {@code io.berth.aws.json}: a form-encoded request ({@code Action=...&Version=...&Name.member.1=...})
 * is decoded into the same JSON tree the JSON protocols hand their operations, validated by the same
 * {@link io.berth.aws.model.ShapeValidator}, and the operation's output tree is written as the XML
 * the model describes ({@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>}).
 *
 * <pre>
 *   POST / (form)  --QueryEdge: SigV4 over the body, pick the service by Version-->
 *   QueryProtocol.invoke: FormDecoder -> ShapeValidator -> QueryOperation -> XmlEncoder
 * </pre>
 */
package io.berth.aws.query;
