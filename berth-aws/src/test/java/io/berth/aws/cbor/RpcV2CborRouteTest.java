package io.berth.aws.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.core.JsonToken;
import io.berth.aws.json.JsonProtocol;
import io.berth.aws.json.JsonService;
import io.berth.aws.model.ServiceModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RpcV2CborRouteTest {
    private static final String MODEL = """
            {"metadata":{"targetPrefix":"Svc","signingName":"svc","jsonVersion":"1.0","protocol":"smithy-rpc-v2-cbor"},
             "operations":{"Get":{"name":"Get","input":{"shape":"In"},"output":{"shape":"Out"}}},
             "shapes":{"In":{"type":"structure","members":{"At":{"shape":"Ts"},"Data":{"shape":"Bytes"}}},
                       "Out":{"type":"structure","members":{"Points":{"shape":"List"},"Count":{"shape":"Dbl"}}},
                       "List":{"type":"list","member":{"shape":"Point"}},
                       "Point":{"type":"structure","members":{"At":{"shape":"Ts"}}},
                       "Ts":{"type":"timestamp"},"Bytes":{"type":"blob"},"Dbl":{"type":"double"}}}
            """;

    @Test
    void requestTimestampsBecomeEpochSecondsAndByteStringsBase64() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator gen = new CBORFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeFieldName("At");
            gen.writeTag(1);
            gen.writeNumber(1_764_039_600.5);
            gen.writeFieldName("Data");
            gen.writeBinary("hi".getBytes(StandardCharsets.UTF_8));
            gen.writeEndObject();
        }

        JsonNode json = JsonProtocol.MAPPER.readTree(RpcV2CborRoute.toJson(out.toByteArray()));

        assertThat(json.get("At").doubleValue()).isEqualTo(1_764_039_600.5);
        assertThat(json.get("Data").textValue()).isEqualTo("aGk=");
        assertThat(new String(RpcV2CborRoute.toJson(new byte[0]), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void outputTimestampsAreWrittenWithTheEpochTagAndDoublesAsFloats() throws Exception {
        JsonService service = JsonService.builder(ServiceModel.parse(JsonProtocol.MAPPER.readTree(MODEL))).build();
        JsonNode tree = JsonProtocol.MAPPER.readTree("{\"Points\":[{\"At\":1764039600}],\"Count\":2}");

        byte[] cbor = RpcV2CborRoute.encode(tree, "Out", service);

        try (CBORParser p = new CBORFactory().createParser(cbor)) {
            boolean tagged = false;
            boolean countIsFloat = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NUMBER_INT && p.getCurrentTag() == 1) {
                    tagged = p.getLongValue() == 1_764_039_600L;
                }
                if (t == JsonToken.VALUE_NUMBER_FLOAT && "Count".equals(p.currentName())) {
                    countIsFloat = p.getDoubleValue() == 2.0;
                }
            }
            assertThat(tagged).as("tag 1 before the timestamp").isTrue();
            assertThat(countIsFloat).isTrue();
        }
    }
}
