package io.cassandraoperator.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MergePatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void jsonMergePatchRemovesNullsAndReplacesLists() throws Exception {
        JsonNode target = json("{'a':1,'b':{'c':2,'d':3},'l':[1,2]}");
        JsonNode patched = MergePatch.json(target, json("{'a':null,'b':{'c':5},'l':[3]}"));
        assertThat(patched).isEqualTo(json("{'b':{'c':5,'d':3},'l':[3]}"));
    }

    @Test
    void strategicMergeMergesContainersAndEnvByName() throws Exception {
        JsonNode target = json("{'spec':{'containers':[{'name':'a','image':'x:1','env':[{'name':'A','value':'1'},"
                + "{'name':'B','value':'2'}]},{'name':'b','image':'y:1'}]}}");
        JsonNode patch = json("{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                + "'containers':[{'name':'a','env':[{'name':'B','value':'3'}]}]}}");
        JsonNode patched = MergePatch.strategic(target, patch);
        assertThat(patched).isEqualTo(json("{'spec':{'containers':[{'name':'a','image':'x:1','env':["
                + "{'name':'A','value':'1'},{'name':'B','value':'3'}]},{'name':'b','image':'y:1'}]}}"));
    }

    @Test
    void strategicMergeDeletesKeyedElementsAndHonoursReplace() throws Exception {
        JsonNode target = json("{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https'}],"
                + "'selector':{'a':'1','b':'2'}}");
        JsonNode patched = MergePatch.strategic(target, json("{'ports':[{'port':443,'$patch':'delete'}],"
                + "'selector':{'$patch':'replace','c':'3'}}"));
        assertThat(patched).isEqualTo(json("{'ports':[{'port':80,'name':'http'}],'selector':{'c':'3'}}"));
    }

    @Test
    void strategicMergeAddsNewKeyedElementsAndReplacesUnkeyedLists() throws Exception {
        JsonNode target = json("{'volumes':[{'name':'v1'}],'args':['a','b'],'metadata':{'finalizers':['f1']}}");
        JsonNode patched = MergePatch.strategic(target, json("{'volumes':[{'name':'v2','emptyDir':{}}],"
                + "'args':['c'],'metadata':{'finalizers':['f2'],'$deleteFromPrimitiveList/finalizers':['f1']}}"));
        assertThat(patched).isEqualTo(json("{'volumes':[{'name':'v1'},{'name':'v2','emptyDir':{}}],'args':['c'],"
                + "'metadata':{'finalizers':['f2']}}"));
    }
}
