package dev.paver.kubernetes.schema;
import org.junit.jupiter.api.Test;
import java.util.*;
class ScratchTest {
  @Test void print() throws Exception {
    long t0 = System.nanoTime();
    ModelSchemas m = new ModelSchemas();
    System.out.println("T new ModelSchemas " + (System.nanoTime()-t0)/1000000); t0 = System.nanoTime();
    var c = m.classOf("apps/v1", "Deployment").get();
    System.out.println("T registry " + (System.nanoTime()-t0)/1000000); t0 = System.nanoTime();
    var s = m.schemaOf(c);
    System.out.println("T generate Deployment " + (System.nanoTime()-t0)/1000000 + " size " + s.toString().length()); t0 = System.nanoTime();
    var js = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7).getSchema(s);
    System.out.println("T compile " + (System.nanoTime()-t0)/1000000); t0 = System.nanoTime();
    js.validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}}}"));
    System.out.println("T validate " + (System.nanoTime()-t0)/1000000); t0 = System.nanoTime();
    for (String k : List.of("Service", "Namespace", "ConfigMap", "ServiceAccount")) { var ss = m.schemaOf(m.classOf("v1", k).get()); com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7).getSchema(ss).validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{}"));
      System.out.println("T " + k + " " + (System.nanoTime()-t0)/1000000); t0 = System.nanoTime(); }
    var sts = m.schemaOf(m.classOf("apps/v1", "StatefulSet").get());
    System.out.println("T gen StatefulSet " + (System.nanoTime()-t0)/1000000); t0 = System.nanoTime();
    var dep2 = m.schemaOf(c);
    System.out.println("T gen Deployment again " + (System.nanoTime()-t0)/1000000); t0 = System.nanoTime();
  }
}
