(()=>{console.log("explore");})();
