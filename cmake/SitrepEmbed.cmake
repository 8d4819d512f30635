# Compiles text files (templates, the default configuration) into the binary, so that sitrep
# runs from any directory with nothing installed beside it.
#
# sitrep_embed_files(<output.cpp> NAMESPACE <ns> FILES <name>=<path> ...) writes a source file
# defining `std::string_view <ns>::embedded_file(std::string_view name)`, which returns the
# file's contents, or an empty view for an unknown name.
function(sitrep_embed_files output)
    cmake_parse_arguments(EMBED "" "NAMESPACE" "FILES" ${ARGN})
    set(paths)
    foreach(entry IN LISTS EMBED_FILES)
        string(REGEX REPLACE "^[^=]*=" "" path "${entry}")
        list(APPEND paths "${path}")
    endforeach()
    add_custom_command(
        OUTPUT "${output}"
        COMMAND "${CMAKE_COMMAND}"
            "-DOUTPUT=${output}" "-DNAMESPACE=${EMBED_NAMESPACE}" "-DFILES=${EMBED_FILES}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
        DEPENDS ${paths} "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
        COMMENT "Embedding ${EMBED_NAMESPACE} files"
        VERBATIM)
endfunction()
