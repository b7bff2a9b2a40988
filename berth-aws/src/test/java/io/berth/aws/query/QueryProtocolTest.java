package io.berth.aws.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.arn.Account;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final QueryModel MODEL = QueryModel.parse(read("""
            {"metadata":{"apiVersion":"2020-01-01","protocol":"query","endpointPrefix":"demo",
                         "xmlNamespace":"http://demo.example/doc/2020-01-01/"},
             "operations":{
               "PutThing":{"name":"PutThing","input":{"shape":"PutThingInput"},
                           "output":{"shape":"PutThingOutput","resultWrapper":"PutThingResult"}},
               "Fail":{"name":"Fail","input":{"shape":"PutThingInput"}}},
             "shapes":{
               "PutThingInput":{"type":"structure","required":["Name"],"members":{
                  "Name":{"shape":"Name"},"Count":{"shape":"Count"},"Enabled":{"shape":"Bool"},
                  "Tags":{"shape":"Tags"},"Labels":{"shape":"Labels"},"Flat":{"shape":"FlatList"},
                  "Renamed":{"shape":"Name","locationName":"Other"},"When":{"shape":"Time"}}},
               "PutThingOutput":{"type":"structure","members":{
                  "Thing":{"shape":"Thing"},"Items":{"shape":"Tags"},"Labels":{"shape":"Labels"}}},
               "Thing":{"type":"structure","members":{"Name":{"shape":"Name"},"Count":{"shape":"Count"},
                  "Enabled":{"shape":"Bool"},"When":{"shape":"Time"}}},
               "Tags":{"type":"list","member":{"shape":"Tag"}},
               "FlatList":{"type":"list","member":{"shape":"Name"},"flattened":true},
               "Tag":{"type":"structure","required":["Key"],"members":{"Key":{"shape":"Name"},"Value":{"shape":"Name"}}},
               "Labels":{"type":"map","key":{"shape":"Name"},"value":{"shape":"Name"}},
               "Name":{"type":"string","max":10},
               "Count":{"type":"integer","min":1},
               "Bool":{"type":"boolean"},
               "Time":{"type":"timestamp"},
               "Boom":{"type":"structure","members":{},"exception":true,
                       "error":{"code":"BoomCode","httpStatusCode":409,"senderFault":true}}}}
            """));
    private static final RequestContext CONTEXT = new RequestContext("req-1", new Account("000000000000", "us-east-1"),
            "AKID", Instant.EPOCH);

    private static ObjectNode read(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final FormDecoder decoder = new FormDecoder(MODEL);

    @Test
    void decodesNestedListsMapsAndTypedScalars() {
        Map<String, String> params = FormDecoder.parseForm("Action=PutThing&Version=2020-01-01&Name=a%20b"
                + "&Count=3&Enabled=true&Tags.member.2.Key=k2&Tags.member.1.Key=k1&Tags.member.1.Value=v+1"
                + "&Labels.entry.1.key=x&Labels.entry.1.value=y&Flat.1=f1&Flat.2=f2&Other=o"
                + "&When=2020-01-02T03:04:05Z&Unknown.member.1=z");
        ObjectNode input = decoder.decode("PutThingInput", params);
        assertThat(input.toString()).isEqualTo(read("""
                {"Name":"a b","Count":3,"Enabled":true,"Tags":[{"Key":"k1","Value":"v 1"},{"Key":"k2"}],
                 "Labels":{"x":"y"},"Flat":["f1","f2"],"Renamed":"o","When":1577934245}""").toString());
    }

    @Test
    void anEmptyValueIsAnEmptyList() {
        assertThat(decoder.decode("PutThingInput", Map.of("Name", "n", "Tags", "")).get("Tags")).isEmpty();
    }

    @Test
    void encodeIsTheInverseOfDecode() {
        ObjectNode tree = read("""
                {"Name":"n","Count":2,"Tags":[{"Key":"a","Value":"b"}],"Labels":{"k":"v"},"Flat":["x"],"Renamed":"r"}""");
        Map<String, String> params = decoder.encode("PutThingInput", tree);
        assertThat(params).containsEntry("Tags.member.1.Key", "a").containsEntry("Other", "r")
                .containsEntry("Flat.1", "x").containsEntry("Labels.entry.1.key", "k");
        assertThat(decoder.decode("PutThingInput", params)).isEqualTo(tree);
    }

    @Test
    void aNumberThatIsNotOneIsAValidationError() {
        assertThatThrownBy(() -> decoder.decode("PutThingInput", Map.of("Count", "many")))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("Value 'many' at 'Count' failed to satisfy constraint");
    }

    @Test
    void answersWithTheModelsXml() {
        QueryService service = QueryService.builder(MODEL).operation("PutThing", (ctx, in) -> read("""
                {"Thing":{"Name":"<n&>","Count":2,"Enabled":false,"When":1.5},
                 "Items":[{"Key":"a"}],"Labels":{"k":"v"},"NotInShape":1}""")).build();
        QueryProtocol.Reply reply = QueryProtocol.invoke(service, Map.of("Action", "PutThing", "Name", "n"), CONTEXT);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).endsWith(
                "<PutThingResponse xmlns=\"http://demo.example/doc/2020-01-01/\"><PutThingResult>"
                        + "<Thing><Name>&lt;n&amp;&gt;</Name><Count>2</Count><Enabled>false</Enabled>"
                        + "<When>1970-01-01T00:00:01.500Z</When></Thing>"
                        + "<Items><member><Key>a</Key></member></Items>"
                        + "<Labels><entry><key>k</key><value>v</value></entry></Labels>"
                        + "</PutThingResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
                        + "</PutThingResponse>");
    }

    @Test
    void errorsCarryTheShapesCodeAndStatus() {
        QueryService service = QueryService.builder(MODEL)
                .operation("Fail", (ctx, in) -> {
                    throw new BerthException(ErrorCode.RESOURCE_IN_USE, "in use");
                })
                .error(ErrorCode.RESOURCE_IN_USE, "Boom").build();
        QueryProtocol.Reply reply = QueryProtocol.invoke(service, Map.of("Action", "Fail", "Name", "n"), CONTEXT);
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo("BoomCode");
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).endsWith(
                "<ErrorResponse xmlns=\"http://demo.example/doc/2020-01-01/\"><Error><Type>Sender</Type>"
                        + "<Code>BoomCode</Code><Message>in use</Message></Error><RequestId>req-1</RequestId>"
                        + "</ErrorResponse>");
    }

    @Test
    void validationAndUnknownActionsAreSenderErrors() {
        QueryService service = QueryService.builder(MODEL).operation("PutThing", (ctx, in) -> in).build();
        Map<String, String> tooLong = new LinkedHashMap<>(Map.of("Action", "PutThing", "Name", "much-too-long"));
        QueryProtocol.Reply invalid = QueryProtocol.invoke(service, tooLong, CONTEXT);
        assertThat(invalid.errorCode()).isEqualTo("ValidationError");
        assertThat(new String(invalid.body(), StandardCharsets.UTF_8))
                .contains("1 validation error detected: Value 'much-too-long' at 'Name'");
        QueryProtocol.Reply missing = QueryProtocol.invoke(service, Map.of("Action", "PutThing"), CONTEXT);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("Member must not be null");
        QueryProtocol.Reply unknown = QueryProtocol.invoke(service, Map.of("Action", "Nope"), CONTEXT);
        assertThat(unknown.errorCode()).isEqualTo("InvalidAction");
        assertThat(unknown.status()).isEqualTo(400);
    }
}
