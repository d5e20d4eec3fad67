# CMake toolchain file: bare-metal Arm Cortex-M4 with its single-precision FPU (Cortex-M4F),
# built with the GNU Arm Embedded toolchain (Debian: gcc-arm-none-eabi and
# libstdc++-arm-none-eabi-newlib) against newlib.
#
#   cmake -S tests/embedded -B build/embedded -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake
#
# It names the compilers and the CPU only. The board (memory map, startup code, how programs
# reach the host) belongs to the project that uses it: see tests/embedded for QEMU's
# mps2-an386.
#
# The FPU is used with the hard-float calling convention: floats travel in s0-s15. The startup
# code must enable the FPU (CPACR) before the first floating-point instruction, or the CPU
# takes a UsageFault (NOCP).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

# A program without a board's startup code and linker script cannot link, so CMake's compiler
# checks build a static library instead of an executable.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(FFN_ARM_TRIPLE arm-none-eabi CACHE STRING "Prefix of the bare-metal Arm GNU tools")
set(CMAKE_C_COMPILER ${FFN_ARM_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${FFN_ARM_TRIPLE}-g++)
set(CMAKE_ASM_COMPILER ${FFN_ARM_TRIPLE}-gcc)

# Cortex-M4 with FPv4-SP (single precision only: every double is done in software, which is
# why code meant for it is built with -Wdouble-promotion).
set(FFN_ARM_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(CMAKE_C_FLAGS_INIT "${FFN_ARM_CPU_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${FFN_ARM_CPU_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${FFN_ARM_CPU_FLAGS}")

# Libraries and headers come from the cross toolchain; header-only packages such as Eigen may
# come from the host, since they hold no compiled code. Programs (qemu, size) from the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
