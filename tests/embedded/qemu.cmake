# Runs one program on QEMU's mps2-an386 with semihosting; shared by run.cmake and
# footprint.cmake. QEMU ends with the program's exit code (semihosting SYS_EXIT_EXTENDED).
#
#   ffn_embedded_qemu(<qemu> <elf> <timeout seconds> <output variable> <result variable>)
#
# <result variable> is the exit code, or the text CMake gives for a timeout.
function(ffn_embedded_qemu qemu elf timeout output_var result_var)
  execute_process(
    COMMAND "${qemu}" -M mps2-an386 -nographic -monitor none -serial none
            -semihosting-config enable=on,target=native -kernel "${elf}"
    TIMEOUT ${timeout}
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output
    RESULT_VARIABLE result)
  set(${output_var} "${output}" PARENT_SCOPE)
  set(${result_var} "${result}" PARENT_SCOPE)
endfunction()
