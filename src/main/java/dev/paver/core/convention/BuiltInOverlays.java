package dev.paver.core.convention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link OverlayBuilder#BUILT_IN}: each directory through its own {@link KustomizeView}. */
final class BuiltInOverlays implements OverlayBuilder {

    @Override
    public Map<String, Build> build(Map<String, String> files, List<String> directories) {
        Map<String, Build> out = new LinkedHashMap<>();
        for (String directory : directories) {
            out.put(directory, new KustomizeView(files).buildOrRefuse(directory));
        }
        return out;
    }

    @Override
    public String describe() {
        return "the built-in kustomize view";
    }
}
