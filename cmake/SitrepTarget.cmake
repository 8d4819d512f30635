# Settings every sitrep target shares: the language level, warnings, sanitizers.
function(sitrep_configure_target target)
    target_compile_features(${target} PUBLIC cxx_std_20)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
    if(SITREP_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(SITREP_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

# A library named sitrep_<name> with the alias sitrep::<name>, its sources given explicitly.
function(sitrep_add_library name)
    add_library(sitrep_${name} STATIC ${ARGN})
    add_library(sitrep::${name} ALIAS sitrep_${name})
    target_include_directories(sitrep_${name} PUBLIC "${PROJECT_SOURCE_DIR}")
    sitrep_configure_target(sitrep_${name})
endfunction()
