/** Tests of the code's shape: package dependencies, class sizes, the architecture page. */
package dev.tollgate.architecture;
